"""Labelling: the gold label files and the annotation loop, one idea per module.

- ``labels``: the label directory's files (manifest, gold and pass CSVs): read, check, write, load;
- ``tool``: the annotators' tool for the project's own files (template, fill, check, realign);
- ``formats``: CSV, Label Studio and doccano, written for an export and read back;
- ``export``: sentences out for labelling, with the model's suggestions, or the most uncertain;
- ``checking``: an annotation file's rows checked against their articles' texts;
- ``importing``: labels merged into a label directory (new ones to gold, differing ones apart);
- ``agreement``: Cohen's kappa between two passes, and their disagreements;
- ``gold``: gold built from the passes and the adjudication, never dropping imported labels.

The ``stance label`` commands are thin wrappers over these functions.
"""
