"""The Training tab: settings, the training job, and the live, results, gallery and inner-numbers views."""
