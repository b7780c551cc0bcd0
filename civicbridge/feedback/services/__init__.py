"""Every write of beneficiaries' feedback (`feedback`) and of the register of shortcomings
(`shortcomings`)."""
