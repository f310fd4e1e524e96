"""What happens on an event: the wiring of the page, the handlers and the updates they return."""
