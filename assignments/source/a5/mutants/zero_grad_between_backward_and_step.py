# %% [markdown]
# zero_grad() called after backward() and before step(), so every step uses zero gradients and nothing is learned.

# %% nbgrader={"grade_id": "q2_answer"}
def train_one_epoch(model, batches, loss_function, optimizer):
    model.train()
    losses = []
    for images, labels in batches:
        loss = loss_function(model(images), labels)
        loss.backward()
        optimizer.zero_grad()
        optimizer.step()
        losses.append(loss.item())
    return float(np.mean(losses))
