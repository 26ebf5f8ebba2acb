from django.urls import path

from hms.risk import views

app_name = "risk"

urlpatterns = [
    path("units/<int:pk>/", views.unit_list, name="list"),
    path("units/<int:pk>/heatmap/", views.unit_heatmap, name="heatmap"),
    path("units/<int:pk>/new/", views.create, name="create"),
    path("units/<int:pk>/import/", views.import_xlsx, name="import"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/step/", views.step, name="step"),
    path("<int:pk>/rows/new/", views.add_row, name="add_row"),
    path("<int:pk>/assessment.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/assessment.pdf", views.export_pdf, name="export_pdf"),
    path("rows/<int:pk>/", views.save_row, name="save_row"),
    path("rows/<int:pk>/delete/", views.delete_row, name="delete_row"),
    path("rows/<int:pk>/measure/", views.row_measure, name="row_measure"),
]
