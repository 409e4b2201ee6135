"""Authentication: credentials for action calls, the custom token call and its cache, cURL import."""
from app.auth.cache import TokenCache
from app.auth.curl import CurlImport, host_offer, parse_curl, to_curl, use_host_variable
from app.auth.engine import AuthEngine
from app.auth.errors import AuthError, CurlError
from app.auth.result import AuthTestResult, RecordedRequest, RecordedResponse

__all__ = ["AuthEngine", "AuthError", "AuthTestResult", "CurlError", "CurlImport", "RecordedRequest",
           "RecordedResponse", "TokenCache", "host_offer", "parse_curl", "to_curl", "use_host_variable"]
