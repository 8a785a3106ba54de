def test_participant_pages_render(client, world, build):
    from tests import factories
    g = build(factories.goal, world.p)
    build(factories.step, world.p, g)
    build(factories.activity, world.p)
    client.sign_in(world.p.login)
    for url in ["/home", "/plan", "/log", "/capacity", "/plan/goals/new", "/plan/steps/new"]:
        r = client.get(url)
        assert r.status_code == 200, url
