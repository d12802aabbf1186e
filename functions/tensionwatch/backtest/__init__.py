"""`tensionwatch backtest`: replay an archive of articles through production's decisions."""
