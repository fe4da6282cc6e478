# %% [markdown]
# The whole 256-bit keyed digest is written under 2.25 as a decimal number, a UID of about 82 characters, longer than the 64 a UID may have.

# %% nbgrader={"grade_id": "q5_answer"}
def new_uid(old_uid, key):
    old = str(old_uid)
    if old.startswith("1.2.840.10008."):
        return old
    digest = hmac.new(key, old.encode("ascii"), hashlib.sha256).hexdigest()
    return "2.25." + str(int(digest, 16))
