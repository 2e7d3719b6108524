"""Contacts and the conversations with them. Each is fetched with ``get_owned_or_404``: anyone
else's contact or conversation is a 404, for an anonymous visitor too."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmatch.lib.access import get_owned_or_404
from medmatch.research.forms.contacts import ContactForm, ContactStartForm, ConversationForm
from medmatch.research.models import Contact, Conversation
from medmatch.research.services import conversation_save


def get_contact(request, pk: int) -> Contact:
    return get_owned_or_404(
        Contact.objects.select_related("program__institution", "institution"), request.user, pk=pk
    )


def get_conversation(request, pk: int) -> Conversation:
    return get_owned_or_404(
        Conversation.objects.select_related("contact"),
        request.user,
        pk=pk,
    )


@login_required
@require_GET
def list_contacts(request):
    contacts = Contact.objects.for_student(request.user).select_related(
        "program__institution", "institution"
    )
    follow_ups = Conversation.objects.for_student(request.user).follow_ups_due()
    context = {
        "contacts": contacts,
        "follow_ups": follow_ups.select_related("contact"),
        "today": timezone.localdate(),
    }
    return render(request, "research/contacts.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def add_contact(request):
    program = ContactStartForm(request.GET).program_or_none()
    form = ContactForm(
        request.POST or None,
        student=request.user,
        extra_program=program,
        initial={"program": program},
        instance=Contact(student=request.user),
    )
    if form.is_valid():
        contact = form.save()
        messages.success(request, f"Added {contact.name}. Now record what you talked about.")
        return redirect("research:conversation_add", contact.pk)
    return render(request, "research/contact_form.html", {"form": form})


@require_GET
def show_contact(request, pk: int):
    contact = get_contact(request, pk)
    conversations = contact.conversations.prefetch_related("insights")
    return render(
        request, "research/contact.html", {"contact": contact, "conversations": conversations}
    )


@require_http_methods(["GET", "POST"])
def edit_contact(request, pk: int):
    contact = get_contact(request, pk)
    form = ContactForm(request.POST or None, student=request.user, instance=contact)
    if form.is_valid():
        form.save()
        messages.success(request, f"Saved {contact.name}.")
        return redirect("research:contact", contact.pk)
    return render(request, "research/contact_form.html", {"form": form, "contact": contact})


@require_http_methods(["GET", "POST"])
def delete_contact(request, pk: int):
    contact = get_contact(request, pk)
    if request.method == "POST":
        contact.delete()
        messages.success(request, f"Deleted {contact.name} and your conversations with them.")
        return redirect("research:contacts")
    return render(request, "research/delete.html", {"thing": contact, "contact": contact})


@require_http_methods(["GET", "POST"])
def add_conversation(request, pk: int):
    contact = get_contact(request, pk)
    form = ConversationForm(request.POST or None)
    if form.is_valid():
        conversation_save(contact=contact, insights=form.insights(), **form.conversation_fields())
        messages.success(request, f"Saved your conversation with {contact.name}.")
        return redirect("research:contact", contact.pk)
    return render(request, "research/conversation_form.html", {"form": form, "contact": contact})


@require_http_methods(["GET", "POST"])
def edit_conversation(request, pk: int):
    conversation = get_conversation(request, pk)
    contact = conversation.contact
    form = ConversationForm(request.POST or None, instance=conversation)
    if form.is_valid():
        conversation_save(
            contact=contact,
            conversation=conversation,
            insights=form.insights(),
            **form.conversation_fields(),
        )
        messages.success(request, f"Saved your conversation with {contact.name}.")
        return redirect("research:contact", contact.pk)
    context = {"form": form, "contact": contact, "conversation": conversation}
    return render(request, "research/conversation_form.html", context)


@require_http_methods(["GET", "POST"])
def delete_conversation(request, pk: int):
    conversation = get_conversation(request, pk)
    if request.method == "POST":
        conversation.delete()
        messages.success(request, "Deleted the conversation and its insights.")
        return redirect("research:contact", conversation.contact.pk)
    context = {"thing": conversation, "contact": conversation.contact}
    return render(request, "research/delete.html", context)


@require_POST
def finish_follow_up(request, pk: int):
    conversation = get_conversation(request, pk)
    conversation.follow_up_done = True
    conversation.save(update_fields=["follow_up_done"])
    messages.success(request, f"Follow-up with {conversation.contact.name} marked done.")
    return redirect("research:contacts")
