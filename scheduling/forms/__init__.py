"""The diary's page forms, a module per topic: appointments, plans, the working week. They
turn what was typed into the rule books' arguments and put refusals beside the fields."""
