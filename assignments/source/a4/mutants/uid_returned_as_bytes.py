# %% [markdown]
# The new UID is built from the keyed digest as bytes (b"2.25....") and returned without decoding, not as a str.

# %% nbgrader={"grade_id": "q5_answer"}
def new_uid(old_uid, key):
    old = str(old_uid)
    if old.startswith("1.2.840.10008."):
        return old
    digest = hmac.new(key, old.encode("ascii"), hashlib.sha256).digest()
    return b"2.25." + str(int.from_bytes(digest[:16], "big")).encode("ascii")
