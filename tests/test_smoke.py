from rotation.models import Role


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_program_manager_sees_the_empty_program_with_a_next_step(client, make_user, login):
    login(make_user(roles={Role.PROGRAM_MANAGER}, name="Paula"))
    page = client.get("/").get_data(as_text=True)
    assert "Hello, Paula" in page
    assert "Add a site" in page
