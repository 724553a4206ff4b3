"""The error hierarchy: one root, each error also its matching builtin, all exported."""

from __future__ import annotations

import pytest

import relations
from relations import errors

CLASSES = [
    getattr(errors, name)
    for name in errors.__all__
    if isinstance(getattr(errors, name), type)
    and name != "RelationsError"
    and not issubclass(getattr(errors, name), Warning)
]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_each_error_is_a_relations_error_and_a_builtin(cls: type[Exception]) -> None:
    assert issubclass(cls, errors.RelationsError)
    builtin = [b for b in cls.__mro__ if b.__module__ == "builtins" and b is not object]
    assert builtin[0] not in (Exception, BaseException), f"{cls.__name__} derives only Exception"
    assert getattr(relations, cls.__name__) is cls
    assert cls.__name__ in relations.__all__
    assert cls.__doc__


def test_store_unavailable_is_a_connection_error() -> None:
    with pytest.raises(ConnectionError):
        raise errors.StoreUnavailable("'host=db': cannot open the store: refused")


def test_warnings_have_one_root_and_are_exported() -> None:
    from relations.io import SkippedRecordsWarning

    assert issubclass(SkippedRecordsWarning, errors.RelationsWarning)
    assert issubclass(SkippedRecordsWarning, UserWarning)
    assert relations.RelationsWarning is errors.RelationsWarning
    assert "RelationsWarning" in relations.__all__


@pytest.mark.parametrize("cls", [errors.UnknownActor, errors.UnknownEvent, errors.UnknownKey])
def test_key_errors_show_their_message_as_written(cls: type[Exception]) -> None:
    assert str(cls("no such thing 'x'")) == "no such thing 'x'"
    assert str(cls()) == ""
