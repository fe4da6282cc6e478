# %% [markdown]
# The held-out HU are given to the network with a channel axis but without preprocess, so the model sees values it was never trained on.

# %% nbgrader={"grade_id": "q4_answer"}
test_logits = predict_logits(model, torch.from_numpy(hu_test.astype(np.float32))[:, None])
heldout_dice = dice_per_class(test_logits, y_test)
print(pd.Series(np.asarray(heldout_dice, dtype=float), index=CLASS_NAMES[1:], name="held-out Dice"))
