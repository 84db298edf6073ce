"""Running the course for a class on JupyterHub: collecting workbooks from home folders, and a local hub
for the hub test and the load benchmark."""
