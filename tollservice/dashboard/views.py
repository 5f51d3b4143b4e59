from django.shortcuts import render

from tollservice.access.views import permission_required
from tollservice.dashboard.panels import panels_for


@permission_required("portal.use")
def home(request):
    return render(request, "dashboard/home.html", {"panels": panels_for(request)})
