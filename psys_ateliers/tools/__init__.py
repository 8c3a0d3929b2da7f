# Plain Python helpers of the workshop models (no model here).
