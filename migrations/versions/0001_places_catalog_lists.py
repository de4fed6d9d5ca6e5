"""places, catalog and the three lists

Revision ID: 0001
Revises:
Create Date: 2026-11-21 04:28:08.855633
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

NGRAMS_FUNCTION = (Path(__file__).resolve().parent.parent / "ngrams.sql").read_text()

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The generated search_vector columns call it.
    op.execute(NGRAMS_FUNCTION)
    op.create_table(
        "categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["categories.id"], name=op.f("fk_categories_parent_id_categories")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_categories")),
        sa.UniqueConstraint("code", name=op.f("uq_categories_code")),
    )
    op.create_index(
        "ix_categories_parent_id_position_id", "categories", ["parent_id", "position", "id"], unique=False
    )
    op.create_table(
        "districts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_districts")),
        sa.UniqueConstraint("code", name=op.f("uq_districts_code")),
    )
    op.create_table(
        "providers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("short_name", sa.String(length=60), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "DEPARTMENT",
                "HOSPITAL",
                "SCHOOL",
                "COMPANY",
                "SOCIAL_ORGANIZATION",
                "PUBLIC_INSTITUTION",
                name="providerkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "doorstep_ngrams(coalesce(name, '') || ' ' || coalesce(short_name, '') || ' ' || coalesce(description, ''))",
                persisted=True,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_providers_district_id_districts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_providers")),
        sa.UniqueConstraint("code", name=op.f("uq_providers_code")),
    )
    op.create_index(op.f("ix_providers_district_id"), "providers", ["district_id"], unique=False)
    op.create_index("ix_providers_kind", "providers", ["kind"], unique=False)
    op.create_index("ix_providers_name_id", "providers", ["name", "id"], unique=False)
    op.create_index(
        "ix_providers_search_vector", "providers", ["search_vector"], unique=False, postgresql_using="gin"
    )
    op.create_table(
        "towns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "SUBDISTRICT", "TOWN", name="townkind", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed("doorstep_ngrams(coalesce(name, ''))", persisted=True),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_towns_district_id_districts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_towns")),
        sa.UniqueConstraint("code", name=op.f("uq_towns_code")),
    )
    op.create_index(op.f("ix_towns_district_id"), "towns", ["district_id"], unique=False)
    op.create_index("ix_towns_name_id", "towns", ["name", "id"], unique=False)
    op.create_index(
        "ix_towns_search_vector", "towns", ["search_vector"], unique=False, postgresql_using="gin"
    )
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "tier",
            sa.Enum(
                "BOTTOM_LINE",
                "BASIC",
                "QUALITY",
                name="tier",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "audiences",
            sa.ARRAY(
                sa.Enum(
                    "EVERYONE",
                    "ELDERLY",
                    "CHILDREN",
                    "YOUTH",
                    "WOMEN",
                    "FAMILIES",
                    "DISABLED",
                    "JOB_SEEKERS",
                    "LOW_INCOME",
                    "VETERANS",
                    "PARTY_MEMBERS",
                    "NEWCOMERS",
                    name="audience",
                    native_enum=False,
                    length=32,
                )
            ),
            nullable=False,
        ),
        sa.Column("capacity_per_period", sa.Integer(), nullable=True),
        sa.Column(
            "capacity_period",
            sa.Enum(
                "DAY",
                "WEEK",
                "MONTH",
                name="capacityperiod",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("requires_three_meetings", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "DRAFT",
                "PUBLISHED",
                "SUSPENDED",
                "RETIRED",
                name="publicationstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "doorstep_ngrams(coalesce(name, '') || ' ' || coalesce(description, ''))", persisted=True
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(capacity_per_period IS NULL) = (capacity_period IS NULL)",
            name=op.f("ck_projects_capacity_has_period"),
        ),
        sa.CheckConstraint(
            "capacity_per_period IS NULL OR capacity_per_period > 0",
            name=op.f("ck_projects_capacity_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["category_id"], ["categories.id"], name=op.f("fk_projects_category_id_categories")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["providers.id"], name=op.f("fk_projects_provider_id_providers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("code", name=op.f("uq_projects_code")),
    )
    op.create_index("ix_projects_audiences", "projects", ["audiences"], unique=False, postgresql_using="gin")
    op.create_index("ix_projects_category_id", "projects", ["category_id"], unique=False)
    op.create_index("ix_projects_created_at_id", "projects", ["created_at", "id"], unique=False)
    op.create_index("ix_projects_name_id", "projects", ["name", "id"], unique=False)
    op.create_index("ix_projects_provider_id", "projects", ["provider_id"], unique=False)
    op.create_index(
        "ix_projects_search_vector", "projects", ["search_vector"], unique=False, postgresql_using="gin"
    )
    op.create_index("ix_projects_status_tier", "projects", ["status", "tier"], unique=False)
    op.create_table(
        "resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "VENUE",
                "FUNDS",
                "EXPERT",
                "VOLUNTEER_TEAM",
                "MATERIALS",
                "EQUIPMENT",
                name="resourcekind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "tier",
            sa.Enum(
                "BOTTOM_LINE",
                "BASIC",
                "QUALITY",
                name="tier",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "audiences",
            sa.ARRAY(
                sa.Enum(
                    "EVERYONE",
                    "ELDERLY",
                    "CHILDREN",
                    "YOUTH",
                    "WOMEN",
                    "FAMILIES",
                    "DISABLED",
                    "JOB_SEEKERS",
                    "LOW_INCOME",
                    "VETERANS",
                    "PARTY_MEMBERS",
                    "NEWCOMERS",
                    name="audience",
                    native_enum=False,
                    length=32,
                )
            ),
            nullable=False,
        ),
        sa.Column("quantity", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column(
            "availability",
            sa.Enum(
                "AVAILABLE",
                "LIMITED",
                "UNAVAILABLE",
                name="availability",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("availability_note", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "DRAFT",
                "PUBLISHED",
                "SUSPENDED",
                "RETIRED",
                name="publicationstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "doorstep_ngrams(coalesce(name, '') || ' ' || coalesce(description, ''))", persisted=True
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_resources_quantity_not_negative")),
        sa.ForeignKeyConstraint(
            ["category_id"], ["categories.id"], name=op.f("fk_resources_category_id_categories")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["providers.id"], name=op.f("fk_resources_provider_id_providers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resources")),
        sa.UniqueConstraint("code", name=op.f("uq_resources_code")),
    )
    op.create_index(
        "ix_resources_audiences", "resources", ["audiences"], unique=False, postgresql_using="gin"
    )
    op.create_index("ix_resources_availability", "resources", ["availability"], unique=False)
    op.create_index("ix_resources_category_id", "resources", ["category_id"], unique=False)
    op.create_index("ix_resources_created_at_id", "resources", ["created_at", "id"], unique=False)
    op.create_index("ix_resources_name_id", "resources", ["name", "id"], unique=False)
    op.create_index("ix_resources_provider_id", "resources", ["provider_id"], unique=False)
    op.create_index(
        "ix_resources_search_vector", "resources", ["search_vector"], unique=False, postgresql_using="gin"
    )
    op.create_index("ix_resources_status_kind", "resources", ["status", "kind"], unique=False)
    op.create_index("ix_resources_tier", "resources", ["tier"], unique=False)
    op.create_table(
        "services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "tier",
            sa.Enum(
                "BOTTOM_LINE",
                "BASIC",
                "QUALITY",
                name="tier",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "audiences",
            sa.ARRAY(
                sa.Enum(
                    "EVERYONE",
                    "ELDERLY",
                    "CHILDREN",
                    "YOUTH",
                    "WOMEN",
                    "FAMILIES",
                    "DISABLED",
                    "JOB_SEEKERS",
                    "LOW_INCOME",
                    "VETERANS",
                    "PARTY_MEMBERS",
                    "NEWCOMERS",
                    name="audience",
                    native_enum=False,
                    length=32,
                )
            ),
            nullable=False,
        ),
        sa.Column(
            "delivery_modes",
            sa.ARRAY(
                sa.Enum(
                    "AT_STATION",
                    "AT_HOME",
                    "ONLINE",
                    "AT_DEPARTMENT",
                    name="deliverymode",
                    native_enum=False,
                    length=32,
                )
            ),
            nullable=False,
        ),
        sa.Column("consultable_on_spot", sa.Boolean(), nullable=False),
        sa.Column("completable_on_spot", sa.Boolean(), nullable=False),
        sa.Column("capacity_per_period", sa.Integer(), nullable=True),
        sa.Column(
            "capacity_period",
            sa.Enum(
                "DAY",
                "WEEK",
                "MONTH",
                name="capacityperiod",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("lead_time_days", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "DRAFT",
                "PUBLISHED",
                "SUSPENDED",
                "RETIRED",
                name="publicationstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "doorstep_ngrams(coalesce(name, '') || ' ' || coalesce(description, ''))", persisted=True
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(capacity_per_period IS NULL) = (capacity_period IS NULL)",
            name=op.f("ck_services_capacity_has_period"),
        ),
        sa.CheckConstraint(
            "capacity_per_period IS NULL OR capacity_per_period > 0",
            name=op.f("ck_services_capacity_positive"),
        ),
        sa.CheckConstraint("lead_time_days >= 0", name=op.f("ck_services_lead_time_not_negative")),
        sa.ForeignKeyConstraint(
            ["category_id"], ["categories.id"], name=op.f("fk_services_category_id_categories")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["providers.id"], name=op.f("fk_services_provider_id_providers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services")),
        sa.UniqueConstraint("code", name=op.f("uq_services_code")),
    )
    op.create_index("ix_services_audiences", "services", ["audiences"], unique=False, postgresql_using="gin")
    op.create_index("ix_services_category_id", "services", ["category_id"], unique=False)
    op.create_index("ix_services_created_at_id", "services", ["created_at", "id"], unique=False)
    op.create_index(
        "ix_services_delivery_modes", "services", ["delivery_modes"], unique=False, postgresql_using="gin"
    )
    op.create_index("ix_services_name_id", "services", ["name", "id"], unique=False)
    op.create_index("ix_services_provider_id", "services", ["provider_id"], unique=False)
    op.create_index(
        "ix_services_search_vector", "services", ["search_vector"], unique=False, postgresql_using="gin"
    )
    op.create_index("ix_services_status_tier", "services", ["status", "tier"], unique=False)
    op.create_table(
        "stations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("town_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "SERVICE_CENTER",
                "RESIDENTIAL_COMMITTEE",
                "VILLAGE",
                name="stationkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("opening_hours", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "facilities",
            sa.ARRAY(
                sa.Enum(
                    "PARTY_BUILDING",
                    "GOVERNMENT_AFFAIRS",
                    "CULTURE",
                    "JOINT_DUTY",
                    "CLINIC",
                    name="facility",
                    native_enum=False,
                    length=32,
                )
            ),
            nullable=False,
        ),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "doorstep_ngrams(coalesce(name, '') || ' ' || coalesce(address, ''))", persisted=True
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["town_id"], ["towns.id"], name=op.f("fk_stations_town_id_towns")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stations")),
        sa.UniqueConstraint("code", name=op.f("uq_stations_code")),
    )
    op.create_index(
        "ix_stations_facilities", "stations", ["facilities"], unique=False, postgresql_using="gin"
    )
    op.create_index("ix_stations_kind", "stations", ["kind"], unique=False)
    op.create_index("ix_stations_name_id", "stations", ["name", "id"], unique=False)
    op.create_index(
        "ix_stations_search_vector", "stations", ["search_vector"], unique=False, postgresql_using="gin"
    )
    op.create_index("ix_stations_town_id_name_id", "stations", ["town_id", "name", "id"], unique=False)
    op.create_table(
        "demands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "audiences",
            sa.ARRAY(
                sa.Enum(
                    "EVERYONE",
                    "ELDERLY",
                    "CHILDREN",
                    "YOUTH",
                    "WOMEN",
                    "FAMILIES",
                    "DISABLED",
                    "JOB_SEEKERS",
                    "LOW_INCOME",
                    "VETERANS",
                    "PARTY_MEMBERS",
                    "NEWCOMERS",
                    name="audience",
                    native_enum=False,
                    length=32,
                )
            ),
            nullable=False,
        ),
        sa.Column("beneficiaries", sa.Integer(), nullable=False),
        sa.Column(
            "urgency",
            sa.Enum(
                "EMERGENCY",
                "KEY",
                "ROUTINE",
                name="urgency",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "OPEN",
                "MATCHED",
                "IN_PROGRESS",
                "RESOLVED",
                "CLOSED",
                name="demandstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("posted_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "doorstep_ngrams(coalesce(title, '') || ' ' || coalesce(description, ''))", persisted=True
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("beneficiaries >= 0", name=op.f("ck_demands_beneficiaries_not_negative")),
        sa.ForeignKeyConstraint(
            ["category_id"], ["categories.id"], name=op.f("fk_demands_category_id_categories")
        ),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], name=op.f("fk_demands_station_id_stations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demands")),
    )
    op.create_index("ix_demands_audiences", "demands", ["audiences"], unique=False, postgresql_using="gin")
    op.create_index("ix_demands_category_id", "demands", ["category_id"], unique=False)
    op.create_index("ix_demands_posted_at_id", "demands", ["posted_at", "id"], unique=False)
    op.create_index(
        "ix_demands_search_vector", "demands", ["search_vector"], unique=False, postgresql_using="gin"
    )
    op.create_index(
        "ix_demands_station_id_posted_at_id", "demands", ["station_id", "posted_at", "id"], unique=False
    )
    op.create_index("ix_demands_status_urgency", "demands", ["status", "urgency"], unique=False)
    op.create_table(
        "project_resources",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_resources_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_project_resources_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", "resource_id", name=op.f("pk_project_resources")),
    )
    op.create_index(
        op.f("ix_project_resources_resource_id"), "project_resources", ["resource_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_project_resources_resource_id"), table_name="project_resources")
    op.drop_table("project_resources")
    op.drop_index("ix_demands_status_urgency", table_name="demands")
    op.drop_index("ix_demands_station_id_posted_at_id", table_name="demands")
    op.drop_index("ix_demands_search_vector", table_name="demands", postgresql_using="gin")
    op.drop_index("ix_demands_posted_at_id", table_name="demands")
    op.drop_index("ix_demands_category_id", table_name="demands")
    op.drop_index("ix_demands_audiences", table_name="demands", postgresql_using="gin")
    op.drop_table("demands")
    op.drop_index("ix_stations_town_id_name_id", table_name="stations")
    op.drop_index("ix_stations_search_vector", table_name="stations", postgresql_using="gin")
    op.drop_index("ix_stations_name_id", table_name="stations")
    op.drop_index("ix_stations_kind", table_name="stations")
    op.drop_index("ix_stations_facilities", table_name="stations", postgresql_using="gin")
    op.drop_table("stations")
    op.drop_index("ix_services_status_tier", table_name="services")
    op.drop_index("ix_services_search_vector", table_name="services", postgresql_using="gin")
    op.drop_index("ix_services_provider_id", table_name="services")
    op.drop_index("ix_services_name_id", table_name="services")
    op.drop_index("ix_services_delivery_modes", table_name="services", postgresql_using="gin")
    op.drop_index("ix_services_created_at_id", table_name="services")
    op.drop_index("ix_services_category_id", table_name="services")
    op.drop_index("ix_services_audiences", table_name="services", postgresql_using="gin")
    op.drop_table("services")
    op.drop_index("ix_resources_tier", table_name="resources")
    op.drop_index("ix_resources_status_kind", table_name="resources")
    op.drop_index("ix_resources_search_vector", table_name="resources", postgresql_using="gin")
    op.drop_index("ix_resources_provider_id", table_name="resources")
    op.drop_index("ix_resources_name_id", table_name="resources")
    op.drop_index("ix_resources_created_at_id", table_name="resources")
    op.drop_index("ix_resources_category_id", table_name="resources")
    op.drop_index("ix_resources_availability", table_name="resources")
    op.drop_index("ix_resources_audiences", table_name="resources", postgresql_using="gin")
    op.drop_table("resources")
    op.drop_index("ix_projects_status_tier", table_name="projects")
    op.drop_index("ix_projects_search_vector", table_name="projects", postgresql_using="gin")
    op.drop_index("ix_projects_provider_id", table_name="projects")
    op.drop_index("ix_projects_name_id", table_name="projects")
    op.drop_index("ix_projects_created_at_id", table_name="projects")
    op.drop_index("ix_projects_category_id", table_name="projects")
    op.drop_index("ix_projects_audiences", table_name="projects", postgresql_using="gin")
    op.drop_table("projects")
    op.drop_index("ix_towns_search_vector", table_name="towns", postgresql_using="gin")
    op.drop_index("ix_towns_name_id", table_name="towns")
    op.drop_index(op.f("ix_towns_district_id"), table_name="towns")
    op.drop_table("towns")
    op.drop_index("ix_providers_search_vector", table_name="providers", postgresql_using="gin")
    op.drop_index("ix_providers_name_id", table_name="providers")
    op.drop_index("ix_providers_kind", table_name="providers")
    op.drop_index(op.f("ix_providers_district_id"), table_name="providers")
    op.drop_table("providers")
    op.drop_table("districts")
    op.drop_index("ix_categories_parent_id_position_id", table_name="categories")
    op.drop_table("categories")
    op.execute("DROP FUNCTION doorstep_ngrams(text)")
