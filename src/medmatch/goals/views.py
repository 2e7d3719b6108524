from django.http import HttpResponse


def show_recommendations(request):
    return HttpResponse("")


explain_program = save_weights = start_questionnaire = show_recommendations


def answer_step(request, step):
    return HttpResponse("")
