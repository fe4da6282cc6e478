# %% [markdown]
# The epoch loss is weighted by the number of images in each batch instead of counting each batch once.

# %% nbgrader={"grade_id": "q2_answer"}
def train_one_epoch(model, batches, loss_function, optimizer):
    model.train()
    total, count = 0.0, 0
    for images, labels in batches:
        optimizer.zero_grad()
        loss = loss_function(model(images), labels)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(images)
        count += len(images)
    return total / count
