import pytest
from django.db import transaction

from jobsite.routers import PRIMARY, REPLICA, PrimaryReplicaRouter
from roles.models import Role
from tests.test_cache import settings_in_a_fresh_process

router = PrimaryReplicaRouter()


def test_reads_go_to_the_replica_and_writes_to_the_primary():
    assert router.db_for_read(Role) == REPLICA
    assert router.db_for_write(Role) == PRIMARY
    assert router.allow_migrate(PRIMARY, "roles") is True
    assert router.allow_migrate(REPLICA, "roles") is False


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_write_transaction_stay_on_the_primary():
    with transaction.atomic():
        assert router.db_for_read(Role) == PRIMARY
    assert router.db_for_read(Role) == REPLICA


def test_a_replica_url_adds_the_alias_and_the_router():
    assert "replica" not in settings_in_a_fresh_process()
    configured = settings_in_a_fresh_process(
        DATABASE_REPLICA_URL="postgres://reader@127.0.0.1:5432/jobsite"
    )
    assert '"replica"' in configured
    assert "jobsite.routers.PrimaryReplicaRouter" in configured
