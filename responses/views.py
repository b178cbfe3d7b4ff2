"""Staff views for responses. The dashboard lives in dashboard_views.py."""
