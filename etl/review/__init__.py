"""Review: the HTML report of a run and the evaluation against gold annotations."""
