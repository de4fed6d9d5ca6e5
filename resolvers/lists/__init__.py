"""The three lists (resources, projects, demands) and what answers demands.

- `queries`: loaders, filters, orderings and the pages of resources, projects and demands.
- `resources`, `projects`: their fields and checks, created and changed with the editing kit;
  `projects` also links a project to the resources it uses.
- `demands`: posting, changing and closing demands, and which statuses allow what.
- `proposals`: providers offering a project or resource for a demand, and reading the offers.
- `suggestions`: the ranker of published projects and resources that fit demands.
"""
