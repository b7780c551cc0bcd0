from django.urls import path

from . import views

app_name = "readiness"

urlpatterns = [
    path("assessments/", views.assessment_list, name="list"),
    path("assessments/new/", views.assessment_new, name="new"),
    path("assessments/compare/", views.compare, name="compare"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("institutions/<int:pk>/assessments/", views.institution_timeline, name="timeline"),
    path("assessments/<int:pk>/context/", views.assessment_context, name="context"),
    path("assessments/<int:pk>/steps/<int:number>/", views.assessment_step, name="step"),
    path("assessments/<int:pk>/complete/", views.assessment_complete, name="complete"),
    path("assessments/<int:pk>/repeat/", views.assessment_repeat, name="repeat"),
    path("assessments/<int:pk>/report.json", views.assessment_json, name="json"),
    path("assessments/<int:pk>/report.csv", views.assessment_csv, name="csv"),
    path("assessments/<int:pk>/report.pdf", views.assessment_pdf, name="pdf"),
]
