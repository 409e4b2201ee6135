"""The action model: pydantic v2 schemas and the platform's rules."""
from app.masking import MASK
from app.model.action import FORMAT, Action
from app.model.auth import ApiKeyAuth, Auth, BasicAuth, CacheDuration, CustomAuth, CustomBody, NoAuth
from app.model.base import Model, SecretRef, Value, error_lines
from app.model.endpoint import Endpoint, Param
from app.model.environment import Environment, EnvironmentSet, Variable
from app.model.payload import JsonError, Payload, PayloadField, infer_payload, parse_json

__all__ = [
    "FORMAT", "MASK", "Action", "ApiKeyAuth", "Auth", "BasicAuth", "CacheDuration", "CustomAuth",
    "CustomBody", "Endpoint", "Environment", "EnvironmentSet", "JsonError", "Model", "NoAuth", "Param",
    "Payload", "PayloadField", "SecretRef", "Value", "Variable", "error_lines", "infer_payload", "parse_json",
]
