"""The three lists (resources, projects, demands) and what answers demands.

- `queries`: loaders, filters, orderings and the pages of resources, projects and demands.
- `resources`, `projects`: their fields and checks, created and changed with the editing kit;
  `projects` also links a project to the resources it uses.
- `demands`: posting, changing, resolving and closing demands, and their history.
- `demand_lifecycle`: the one table of a demand's moves (posted, matched, in progress with its
  orders, resolved by the last evaluation or by its staff, closed) and the history they leave.
- `proposals`: providers offering a project or resource for a demand, and reading the offers.
- `suggestions`: the ranker of published projects and resources that fit demands.
"""
