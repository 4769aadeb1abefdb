"""OpenAPI examples of /api/auth/*: one user (Anna, id 42) and her session, as the real serializers render them.

The tokens are well-formed simplejwt tokens of that session (signed with a throwaway key, so they never work).
"""

SESSION_ID = "3f0c5b1e-8a2d-4c47-9b1e-2d7f5a9c0e41"

ACCESS_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjoxNzE1Njc4ODIzLCJpYXQiOjE3MTU2Nzc5"
    "MjMsImp0aSI6IjZiMWQwZTZmM2M2YTRmMGY5YjhjMmU3ZDVhNGYxYzNiIiwidXNlcl9pZCI6IjQyIiwic2lkIjoiM2YwYzViMWUtOGEyZC00Yz"
    "Q3LTliMWUtMmQ3ZjVhOWMwZTQxIn0.jjUbt9vOXzY532hl6GDR5H00D1LElgLcS7dnMcTlrJ4"
)
REFRESH_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCIsImV4cCI6MTcxNjg4NzUyMywiaWF0IjoxNzE1Njc3"
    "OTIzLCJqdGkiOiI5ZTJiN2M0ZDFhMGY0ZTZiOGQzYzVhN2YyZTFiMGM5ZCIsInVzZXJfaWQiOiI0MiIsInNpZCI6IjNmMGM1YjFlLThhMmQtNG"
    "M0Ny05YjFlLTJkN2Y1YTljMGU0MSJ9.NJBEr5tzg3wDHmQuvpUvMhe0x2eLP16_PY-3LHvAe_A"
)
REFRESHED_ACCESS_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjoxNzE1NjgyNDIzLCJpYXQiOjE3MTU2ODE1"
    "MjMsImp0aSI6IjBjN2U0YjJhOWQxZjRjM2U4YjZhNWQyZjFlMGM3YjlhIiwidXNlcl9pZCI6IjQyIiwic2lkIjoiM2YwYzViMWUtOGEyZC00Yz"
    "Q3LTliMWUtMmQ3ZjVhOWMwZTQxIn0.cAQorwOGypnTVCYYEQzyGXKp9-tbSHxrmIP7Hl8uDRo"
)

PASSWORD = "s3cure-Passw0rd"
#: a user `make run` creates (accounts/demo.py); every demo user has this password
DEMO_LOGIN = {"username": "demo", "password": "demo-pass-2024"}

# What POST /api/auth/register/ answers: nothing but the account, its email not yet confirmed.
REGISTERED_USER = {
    "id": 42,
    "username": "anna",
    "email": "anna@example.com",
    "first_name": "",
    "last_name": "",
    "patronymic": "",
    "phone": None,
    "address": "",
    "avatar": "https://api.example.com/static/accounts/default-user-image.svg",
    "about": "",
    "level": None,
    "balls": 100,
    "rating": 0.0,
    "confirmed_email": False,
    "confirmed_phone": False,
    "created_at": "2024-05-14T09:10:41.204518Z",
    "updated_at": "2024-05-14T09:10:41.204533Z",
}

# The same account later: email confirmed, profile filled in, an avatar uploaded.
USER = {
    **REGISTERED_USER,
    "first_name": "Anna",
    "last_name": "Ivanova",
    "patronymic": "Sergeevna",
    "phone": "+79990001122",
    "address": "Kazan, Baumana 19",
    "avatar": "https://api.example.com/media/avatars/anna.png",
    "about": "Interior designer.",
    "confirmed_email": True,
    "updated_at": "2024-05-14T10:02:17.880145Z",
}

SESSION = {
    "id": SESSION_ID,
    "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "ip_address": "203.0.113.7",
    "created_at": "2024-05-14T09:12:03.511204Z",
    "last_seen_at": "2024-05-14T10:02:15.093377Z",
    "revoked_at": None,
    "active": True,
    "current": True,
}
