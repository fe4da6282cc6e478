# %% [markdown]
# model.train() is never called, so a model handed over in evaluation mode trains with its batch-normalisation layers frozen on their running statistics.

# %% nbgrader={"grade_id": "q2_answer"}
def train_one_epoch(model, batches, loss_function, optimizer):
    losses = []
    for images, labels in batches:
        optimizer.zero_grad()
        loss = loss_function(model(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return float(np.mean(losses))
