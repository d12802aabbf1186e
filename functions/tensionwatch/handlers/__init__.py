"""One thin module per Lambda: parse the event, call one function, return."""
