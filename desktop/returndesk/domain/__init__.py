"""Pure business rules of ReturnDesk. Standard library only."""
