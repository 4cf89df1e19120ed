"""The weekly executive report: a papermill notebook rendered to offline HTML.

`params` checks what the user asked for before any kernel starts, `render`
executes `notebooks/weekly_report.ipynb` and converts it with the
`template/weekly` nbconvert template, `page` is what the notebook's cells
call, and `index`/`batch` list and mass-produce reports.
"""
