"""foundation tables

Revision ID: 128330ffd86f
Revises: 
Create Date: 2026-11-24 06:56:50.923306
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import rotation.models.base


revision: str = '128330ffd86f'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('cycle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('book_by', sa.Date(), nullable=True),
    sa.CheckConstraint('start_date <= end_date', name=op.f('ck_cycle_range_in_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycle')),
    sa.UniqueConstraint('name', name=op.f('uq_cycle_name'))
    )
    op.create_table('program_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rotation_pattern', sa.JSON(), nullable=False),
    sa.Column('min_days_between_rotations', sa.Integer(), nullable=True),
    sa.Column('max_executives_per_team_per_day', sa.Integer(), nullable=True),
    sa.CheckConstraint('max_executives_per_team_per_day >= 0', name=op.f('ck_program_rules_team_cap_not_negative')),
    sa.CheckConstraint('min_days_between_rotations >= 0', name=op.f('ck_program_rules_spacing_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_rules'))
    )
    op.create_table('site',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('holiday_region', sa.String(length=16), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site')),
    sa.UniqueConstraint('name', name=op.f('uq_site_name'))
    )
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=True),
    sa.Column('created_at', rotation.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email')),
    sa.UniqueConstraint('session_token', name=op.f('uq_user_account_session_token'))
    )
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', rotation.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_audit_entry_actor_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)

    op.create_table('executive',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('department', sa.String(length=120), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('home_site_id', sa.Integer(), nullable=True),
    sa.Column('rotations_required', sa.Integer(), nullable=False),
    sa.CheckConstraint('rotations_required >= 0', name=op.f('ck_executive_rotations_not_negative')),
    sa.ForeignKeyConstraint(['home_site_id'], ['site.id'], name=op.f('fk_executive_home_site_id_site'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_executive_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_executive')),
    sa.UniqueConstraint('user_id', name=op.f('uq_executive_user_id'))
    )
    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_team_site_id_site'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team')),
    sa.UniqueConstraint('site_id', 'name', name=op.f('uq_team_site_id_name'))
    )
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_site_id'), ['site_id'], unique=False)

    op.create_table('user_role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.CheckConstraint("role IN ('program_manager', 'team_lead', 'executive')", name=op.f('ck_user_role_known_role')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_role_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_role')),
    sa.UniqueConstraint('user_id', 'role', name=op.f('uq_user_role_user_id_role'))
    )
    with op.batch_alter_table('user_role', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_role_user_id'), ['user_id'], unique=False)

    op.create_table('blackout',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.CheckConstraint('(site_id IS NULL) <> (team_id IS NULL)', name=op.f('ck_blackout_site_or_team')),
    sa.CheckConstraint('start_date <= end_date', name=op.f('ck_blackout_range_in_order')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_blackout_site_id_site'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_blackout_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blackout'))
    )
    with op.batch_alter_table('blackout', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blackout_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_blackout_team_id'), ['team_id'], unique=False)

    op.create_table('booking',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('executive_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', rotation.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('created_at', rotation.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('proposed', 'requested', 'approved', 'declined', 'cancelled', 'completed', 'no_show')", name=op.f('ck_booking_known_status')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_booking_version_positive')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_booking_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['executive_id'], ['executive.id'], name=op.f('fk_booking_executive_id_executive'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_booking_team_id_team'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking'))
    )
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_executive_id'), ['executive_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_team_id'), ['team_id'], unique=False)

    op.create_table('buddy_agent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_buddy_agent_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buddy_agent'))
    )
    with op.batch_alter_table('buddy_agent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buddy_agent_team_id'), ['team_id'], unique=False)

    op.create_table('site_preference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('executive_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.CheckConstraint('weight BETWEEN 0 AND 3', name=op.f('ck_site_preference_weight_in_range')),
    sa.ForeignKeyConstraint(['executive_id'], ['executive.id'], name=op.f('fk_site_preference_executive_id_executive'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_site_preference_site_id_site'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_preference')),
    sa.UniqueConstraint('executive_id', 'site_id', name=op.f('uq_site_preference_executive_id_site_id'))
    )
    with op.batch_alter_table('site_preference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_site_preference_executive_id'), ['executive_id'], unique=False)

    op.create_table('slot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('taken', sa.Integer(), server_default='0', nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.CheckConstraint("kind IN ('shadowing', 'headset')", name=op.f('ck_slot_known_kind')),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_slot_capacity_not_negative')),
    sa.CheckConstraint('start_time < end_time', name=op.f('ck_slot_starts_before_end')),
    sa.CheckConstraint('taken BETWEEN 0 AND capacity', name=op.f('ck_slot_never_overbooked')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_slot_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slot')),
    sa.UniqueConstraint('team_id', 'day', 'kind', 'start_time', name=op.f('uq_slot_team_id_day_kind_start_time'))
    )
    with op.batch_alter_table('slot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slot_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_slot_team_id'), ['team_id'], unique=False)

    op.create_table('team_lead',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_lead_team_id_team'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_team_lead_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_lead')),
    sa.UniqueConstraint('team_id', 'user_id', name=op.f('uq_team_lead_team_id_user_id'))
    )
    with op.batch_alter_table('team_lead', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_lead_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_lead_user_id'), ['user_id'], unique=False)

    op.create_table('topic_preference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('executive_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=60), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.CheckConstraint('weight BETWEEN 0 AND 3', name=op.f('ck_topic_preference_weight_in_range')),
    sa.ForeignKeyConstraint(['executive_id'], ['executive.id'], name=op.f('fk_topic_preference_executive_id_executive'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_topic_preference')),
    sa.UniqueConstraint('executive_id', 'topic', name=op.f('uq_topic_preference_executive_id_topic'))
    )
    with op.batch_alter_table('topic_preference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topic_preference_executive_id'), ['executive_id'], unique=False)

    op.create_table('unavailability',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('executive_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.CheckConstraint('start_date <= end_date', name=op.f('ck_unavailability_range_in_order')),
    sa.ForeignKeyConstraint(['executive_id'], ['executive.id'], name=op.f('fk_unavailability_executive_id_executive'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unavailability'))
    )
    with op.batch_alter_table('unavailability', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unavailability_executive_id'), ['executive_id'], unique=False)

    op.create_table('booking_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('day_index', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('buddy_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('day_index >= 0', name=op.f('ck_booking_day_day_index_not_negative')),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], name=op.f('fk_booking_day_booking_id_booking'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['buddy_id'], ['buddy_agent.id'], name=op.f('fk_booking_day_buddy_id_buddy_agent'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['slot_id'], ['slot.id'], name=op.f('fk_booking_day_slot_id_slot'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_day')),
    sa.UniqueConstraint('booking_id', 'day_index', name=op.f('uq_booking_day_booking_id_day_index'))
    )
    with op.batch_alter_table('booking_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_day_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_day_slot_id'), ['slot_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('booking_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_day_slot_id'))
        batch_op.drop_index(batch_op.f('ix_booking_day_booking_id'))

    op.drop_table('booking_day')
    with op.batch_alter_table('unavailability', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unavailability_executive_id'))

    op.drop_table('unavailability')
    with op.batch_alter_table('topic_preference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topic_preference_executive_id'))

    op.drop_table('topic_preference')
    with op.batch_alter_table('team_lead', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_lead_user_id'))
        batch_op.drop_index(batch_op.f('ix_team_lead_team_id'))

    op.drop_table('team_lead')
    with op.batch_alter_table('slot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slot_team_id'))
        batch_op.drop_index(batch_op.f('ix_slot_day'))

    op.drop_table('slot')
    with op.batch_alter_table('site_preference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_site_preference_executive_id'))

    op.drop_table('site_preference')
    with op.batch_alter_table('buddy_agent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_buddy_agent_team_id'))

    op.drop_table('buddy_agent')
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_team_id'))
        batch_op.drop_index(batch_op.f('ix_booking_status'))
        batch_op.drop_index(batch_op.f('ix_booking_executive_id'))

    op.drop_table('booking')
    with op.batch_alter_table('blackout', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blackout_team_id'))
        batch_op.drop_index(batch_op.f('ix_blackout_site_id'))

    op.drop_table('blackout')
    with op.batch_alter_table('user_role', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_role_user_id'))

    op.drop_table('user_role')
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_site_id'))

    op.drop_table('team')
    op.drop_table('executive')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))

    op.drop_table('audit_entry')
    op.drop_table('user_account')
    op.drop_table('site')
    op.drop_table('program_rules')
    op.drop_table('cycle')
