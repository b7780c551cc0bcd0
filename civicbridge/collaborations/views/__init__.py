"""The collaboration's pages, one module per tab."""
