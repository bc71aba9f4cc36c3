"""`survey demo`: a whole 360° campaign on an example organisation, answered through its pages."""
