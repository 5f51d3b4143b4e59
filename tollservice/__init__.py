"""The toll station's service-standardization portal (收费所规范化服务管理平台)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
