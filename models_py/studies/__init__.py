"""Studies as declared analyses: the schema of ``studies/<study>.yaml`` (``schema``), the
estimator registry (``registry``), sample construction (``sample``), the runner that turns a
declaration and the marts into long results frames (``run``, ``frames``)."""
