"""One module per news API, each turning its responses into `Article`s."""
