# %% [markdown]
# optimizer.zero_grad() never called, so gradients accumulate over the batches.

# %% nbgrader={"grade_id": "q2_answer"}
def train_one_epoch(model, batches, loss_function, optimizer):
    model.train()
    losses = []
    for images, labels in batches:
        loss = loss_function(model(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return float(np.mean(losses))
