"""Statistics on per-time count tables (and Cox on arrays)."""
