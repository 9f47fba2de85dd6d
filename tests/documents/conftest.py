from tests.consultations.conftest import as_user, make_comment, make_round, member_org, other_rep

__all__ = ["as_user", "make_comment", "make_round", "member_org", "other_rep"]
