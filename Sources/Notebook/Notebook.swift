// Module Notebook: the literate runtime.
