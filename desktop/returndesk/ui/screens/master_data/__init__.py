"""The master-data screen: ``screen`` (find, view and edit products, customers, suppliers and
categories), ``models`` (its lists), ``wizard`` (the import wizard) and ``labels`` (the words for fields)."""
