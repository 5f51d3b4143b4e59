"""The standard is the station's data: editable here, never deleted (penalties cite it)."""

from django.contrib import admin

from inspections.models import Prohibition, ServiceCategory, ServiceProvision


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False  # retire a row with "active" instead


class ServiceProvisionInline(admin.TabularInline):
    model = ServiceProvision
    fields = ["code", "text", "order", "active"]
    extra = 0
    can_delete = False


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(NoDeleteAdmin):
    list_display = ["name", "code", "order", "active"]
    inlines = [ServiceProvisionInline]


@admin.register(ServiceProvision)
class ServiceProvisionAdmin(NoDeleteAdmin):
    list_display = ["code", "text", "category", "active"]
    list_filter = ["category", "active"]
    search_fields = ["code", "text"]
    list_select_related = ["category"]


@admin.register(Prohibition)
class ProhibitionAdmin(NoDeleteAdmin):
    list_display = ["number", "text", "is_default_placeholder", "active"]
    list_filter = ["is_default_placeholder", "active"]
