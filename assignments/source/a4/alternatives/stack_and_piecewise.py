# %% [markdown]
# Sorts indices with np.dot positions; windows piecewise with np.where; measures with a masked
# array and np.prod of the spacing; builds UIDs with generate_uid(prefix="2.25.", ...); walks the
# data set with an explicit stack, replaces every UID of the file meta too and keeps a per-patient
# pseudonym table within the call.

# %% nbgrader={"grade_id": "q1_answer"}
def sort_slices(datasets_):
    iop = [float(v) for v in datasets_[0].ImageOrientationPatient]
    normal = np.cross(iop[:3], iop[3:])
    positions = [np.dot(normal, [float(v) for v in ds.ImagePositionPatient]) for ds in datasets_]
    return [datasets_[i] for i in sorted(range(len(datasets_)), key=positions.__getitem__)]


# %% nbgrader={"grade_id": "q2_answer"}
def to_hu(ds):
    slope = getattr(ds, "RescaleSlope", None)
    intercept = getattr(ds, "RescaleIntercept", None)
    hu = ds.pixel_array.astype(float)
    if slope is not None:
        hu = hu * float(slope)
    if intercept is not None:
        hu = hu + float(intercept)
    return hu


# %% nbgrader={"grade_id": "q3_answer"}
def window_image(ds, center, width):
    hu = to_hu(ds)
    low, high = center - width / 2, center + width / 2
    return np.where(hu <= low, 0.0, np.where(hu >= high, 1.0, (hu - low) / (high - low)))


# %% nbgrader={"grade_id": "q4_answer"}
def roi_measurement(hu_slice, mask, pixel_spacing):
    outside = np.asarray(mask) == 0
    mean_hu = np.ma.masked_array(np.asarray(hu_slice, dtype=float), mask=outside).mean()
    pixel_mm2 = np.prod(np.asarray(pixel_spacing, dtype=float))
    return float(mean_hu), float((~outside).sum() * pixel_mm2 / 100)


# %% nbgrader={"grade_id": "q5_answer"}
def new_uid(old_uid, key):
    if str(old_uid).startswith("1.2.840.10008."):
        return str(old_uid)
    return str(generate_uid(prefix="2.25.", entropy_srcs=[key.hex(), str(old_uid)]))


# %% nbgrader={"grade_id": "q6_answer"}
def deidentify_series(datasets_, key):
    actions = {keyword: "X" for keyword in (
        "OtherPatientIDs", "PatientAge", "InstitutionName", "InstitutionAddress", "OperatorsName",
        "SeriesTime", "StudyDescription", "SeriesDescription", "RequestAttributesSequence",
        "OperatorIdentificationSequence")}
    actions.update({keyword: "Z" for keyword in (
        "PatientBirthDate", "PatientSex", "ReferringPhysicianName", "AccessionNumber", "StudyID",
        "StudyTime")})
    actions.update(PatientName="P", PatientID="P")
    per_patient = {}

    def patient(original_id):
        if original_id not in per_patient:
            digest = hmac.new(key, original_id.encode("utf-8"), hashlib.sha256).hexdigest()
            per_patient[original_id] = ("ID" + digest[-20:].upper(),
                                        -(int(digest[:6], 16) % 3650) - 1)
        return per_patient[original_id]

    out_series = []
    for ds in datasets_:
        pseudonym, days = patient(str(ds.PatientID) if "PatientID" in ds else "")
        out = copy.deepcopy(ds)
        stack = [out]
        while stack:
            item = stack.pop()
            for tag in list(item.keys()):
                element = item[tag]
                action = actions.get(element.keyword)
                if tag.is_private or action == "X":
                    del item[tag]
                elif element.VR == "SQ":
                    stack.extend(element.value)
                elif action == "Z":
                    element.value = None
                elif action == "P":
                    element.value = pseudonym
                elif element.VR == "UI" and element.VM == 1:
                    element.value = new_uid(element.value, key)
                elif element.VR == "UI" and element.VM > 1:
                    element.value = [new_uid(uid, key) for uid in element.value]
                elif element.VR == "DA" and element.VM == 1:
                    date = np.datetime64(f"{element.value[:4]}-{element.value[4:6]}-"
                                         f"{element.value[6:8]}")
                    element.value = (date + np.timedelta64(days, "D")).item().strftime("%Y%m%d")
        for element in out.file_meta:  # MediaStorageSOPInstanceUID -> the new SOPInstanceUID
            if element.VR == "UI" and element.value:
                element.value = new_uid(element.value, key)
        out.PatientIdentityRemoved = "YES"
        out.LongitudinalTemporalInformationModified = "MODIFIED"
        out.DeidentificationMethod = "PS3.15 E.1 + Retain Longitudinal Modified Dates"
        out_series.append(out)
    return out_series
