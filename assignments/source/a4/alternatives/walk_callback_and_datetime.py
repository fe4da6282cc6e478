# %% [markdown]
# Sorts with a hand-written cross product and each slice's own orientation; measures the ROI
# with np.average and np.count_nonzero (NumPy floats); writes UIDs as its own keyed hash under
# the 2.25 root; de-identifies with Dataset.remove_private_tags and Dataset.walk, empties the Z
# attributes to None and shifts dates with datetime.

# %% nbgrader={"grade_id": "q1_answer"}
def sort_slices(datasets_):
    def position(ds):
        x = [float(v) for v in ds.ImageOrientationPatient[:3]]
        y = [float(v) for v in ds.ImageOrientationPatient[3:]]
        normal = (x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0])
        return sum(n * float(s) for n, s in zip(normal, ds.ImagePositionPatient))

    return sorted(datasets_, key=position)


# %% nbgrader={"grade_id": "q4_answer"}
def roi_measurement(hu_slice, mask, pixel_spacing):
    weights = np.asarray(mask, dtype=float)
    mean_hu = np.average(np.asarray(hu_slice, dtype=float), weights=weights)
    area_mm2 = np.count_nonzero(weights) * float(pixel_spacing[0]) * float(pixel_spacing[1])
    return mean_hu, area_mm2 / 100


# %% nbgrader={"grade_id": "q5_answer"}
def new_uid(old_uid, key):
    old = str(old_uid)
    if old.startswith("1.2.840.10008."):
        return old
    digest = hmac.new(key, old.encode("ascii"), hashlib.sha256).digest()
    return "2.25." + str(int.from_bytes(digest[:16], "big"))  # 128 bits: at most 44 characters


# %% nbgrader={"grade_id": "q6_answer"}
def deidentify_series(datasets_, key):
    import datetime

    remove = {"OtherPatientIDs", "PatientAge", "InstitutionName", "InstitutionAddress",
              "OperatorsName", "SeriesTime", "StudyDescription", "SeriesDescription",
              "RequestAttributesSequence", "OperatorIdentificationSequence"}
    empty = {"PatientBirthDate", "PatientSex", "ReferringPhysicianName", "AccessionNumber",
             "StudyID", "StudyTime"}
    copies = []
    for ds in datasets_:
        mac = hmac.new(key, ("patient:" + str(ds.get("PatientID", ""))).encode("utf-8"),
                       hashlib.sha256).digest()
        pseudonym = "PSEUDO" + mac[:8].hex().upper()
        offset = datetime.timedelta(days=-(int.from_bytes(mac[8:12], "big") % 3650 + 1))

        def rule(dataset, element):
            if element.keyword in remove:
                del dataset[element.tag]  # walk() does not enter a deleted sequence
            elif element.keyword in empty:
                element.value = None
            elif element.keyword in ("PatientName", "PatientID"):
                element.value = pseudonym
            elif element.VR == "UI" and element.value:
                if element.VM > 1:
                    element.value = [new_uid(uid, key) for uid in element.value]
                else:
                    element.value = new_uid(element.value, key)
            elif element.VR == "DA" and element.value:
                day = datetime.datetime.strptime(str(element.value), "%Y%m%d").date()
                element.value = (day + offset).strftime("%Y%m%d")

        out = copy.deepcopy(ds)
        out.remove_private_tags()  # walks into every sequence item
        out.walk(rule)
        out.file_meta.MediaStorageSOPInstanceUID = out.SOPInstanceUID
        out.PatientIdentityRemoved = "YES"
        out.LongitudinalTemporalInformationModified = "MODIFIED"
        out.DeidentificationMethod = "DICOM PS3.15 E.1 Basic; E.3.6 Modified Dates"
        copies.append(out)
    return copies
