"""The inspections pages; ``inspections.links`` names the ones the domain links to."""
