# %% [markdown]
# The batch losses are kept as tensors and their mean is returned as a 0-d tensor, not a Python float.

# %% nbgrader={"grade_id": "q2_answer"}
def train_one_epoch(model, batches, loss_function, optimizer):
    model.train()
    losses = []
    for images, labels in batches:
        optimizer.zero_grad()
        loss = loss_function(model(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.detach())
    return torch.stack(losses).mean()
