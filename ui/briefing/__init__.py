"""The briefing screen (晨会简报 / 每周会商研判): the station's picture on the projector, and its PDF handout."""
