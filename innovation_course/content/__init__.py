"""The course's content: the data package, house style and charts, findings computed from the data, the
lessons' explorers, the policy timeline, regions and the evidence brief. It may use the engine, never the
classroom tools; see docs/architecture.md."""
