from grids.scope import Action, scope_for


def test_village_officer_sees_only_their_village(world):
    scope = scope_for(world.village_officer_a)
    assert set(scope.units()) == {world.village_a}
    assert scope.can_see(world.village_a)
    assert not scope.can_see(world.village_b)
    assert not scope.can_see(world.township)
    assert not scope.can_see(world.county)


def test_township_officer_sees_their_township_subtree_only(world):
    scope = scope_for(world.township_officer)
    assert set(scope.units()) == {world.township, world.village_a, world.village_b}
    assert not scope.can_see(world.other_township)
    assert not scope.can_see(world.park)


def test_county_dispatcher_sees_whole_county_and_manages_it(world):
    scope = scope_for(world.county_dispatcher)
    assert scope.units().count() == 8
    assert scope.can(Action.MANAGE_GRID, world.village_c)


def test_department_staff_read_their_county_but_change_nothing(world):
    scope = scope_for(world.department_officer)
    assert scope.can_see(world.village_c)
    assert not scope.can(Action.MANAGE_GRID, world.village_c)
    assert scope.can(Action.VIEW, world.village_c)


def test_outsider_sees_nothing(world):
    scope = scope_for(world.outsider)
    assert not scope.units().exists()
    assert not scope.can_see(world.county)


def test_grid_officer_of_township_cannot_manage_but_leader_can(world):
    assert not scope_for(world.township_officer).can(Action.MANAGE_GRID, world.village_a)
    assert scope_for(world.township_leader).can(Action.MANAGE_GRID, world.village_a)
    assert not scope_for(world.township_leader).can(Action.MANAGE_GRID, world.village_c)


def test_village_grid_manager_cannot_manage_grid(world):
    assert not scope_for(world.village_officer_a).can(Action.MANAGE_GRID, world.village_a)
