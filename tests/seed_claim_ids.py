"""The claim ids issue 4 names for the seed letter (other tools follow them)."""

ISSUE_IDS = [
    "median_age_at_blinatumomab", "relapse_vs_first_line", "median_pre_mrd_cr", "mrd_negative",
    "log_reduction_partial", "mrd_response_rate", "cycles", "median_days_to_hsct",
    "median_followup_post_hsct", "crs_grade_1_2", "neurotoxicity", "efs_3y_post_hsct",
    "os_3y_post_hsct", "efs_3y_from_blinatumomab", "os_3y_from_blinatumomab",
    "post_hsct_event_days", "car_t_remissions", "von_stackelberg_response_ci",
]  # fmt: skip
