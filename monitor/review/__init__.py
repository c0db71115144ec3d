"""Review output: pure ``format_*`` functions building text and rich renderables."""
